ipvsadm -E -w 2
