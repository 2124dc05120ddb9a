ipvsadm -L -f 1
