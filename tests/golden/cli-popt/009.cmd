ipvsadm -L -L
