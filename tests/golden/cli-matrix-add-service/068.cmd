ipvsadm -A -X
