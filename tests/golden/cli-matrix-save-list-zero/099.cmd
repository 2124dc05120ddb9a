ipvsadm -L -f 1 -6
