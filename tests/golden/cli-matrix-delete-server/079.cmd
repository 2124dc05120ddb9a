ipvsadm -d -X
