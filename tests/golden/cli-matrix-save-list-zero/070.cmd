ipvsadm -L -g
