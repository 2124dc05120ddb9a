ipvsadm -Z -w 2
