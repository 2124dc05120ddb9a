ipvsadm -Ln
