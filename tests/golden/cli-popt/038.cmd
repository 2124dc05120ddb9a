ipvsadm -L -
