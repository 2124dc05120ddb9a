ipvsadm -D -w 2
