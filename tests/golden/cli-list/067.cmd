ipvsadm -S -X
