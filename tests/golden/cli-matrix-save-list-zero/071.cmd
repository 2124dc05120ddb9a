ipvsadm -L -w 2
