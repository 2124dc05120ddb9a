ipvsadm -L -n
