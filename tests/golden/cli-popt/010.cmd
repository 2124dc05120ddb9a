ipvsadm -L -l
