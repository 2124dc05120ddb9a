ipvsadm -L -p
