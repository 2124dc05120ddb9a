ipvsadm -L -c
