ipvsadm -L -w 1
