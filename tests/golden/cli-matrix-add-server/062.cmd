ipvsadm -a -w 2
