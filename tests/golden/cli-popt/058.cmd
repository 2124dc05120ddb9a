ipvsadm -L -t
