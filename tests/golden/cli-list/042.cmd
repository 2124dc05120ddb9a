ipvsadm -L -x 1
