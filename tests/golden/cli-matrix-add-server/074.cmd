ipvsadm -a -X
