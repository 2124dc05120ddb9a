ipvsadm -L -x 100
