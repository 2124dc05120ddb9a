ipvsadm -L -v
