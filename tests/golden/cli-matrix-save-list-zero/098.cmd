ipvsadm -L -6
