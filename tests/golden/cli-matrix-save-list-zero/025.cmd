ipvsadm -S -w 2
