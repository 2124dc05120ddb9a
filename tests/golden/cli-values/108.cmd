ipvsadm -L -f 4 -6
