ipvsadm -A -w 2
