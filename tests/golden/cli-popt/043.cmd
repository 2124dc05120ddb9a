ipvsadm -L -n=1
