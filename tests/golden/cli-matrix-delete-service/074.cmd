ipvsadm -D -X
