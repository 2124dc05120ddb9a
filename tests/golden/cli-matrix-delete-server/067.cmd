ipvsadm -d -w 2
