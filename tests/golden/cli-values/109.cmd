ipvsadm -L -f 4
