ipvsadm -Z -X
