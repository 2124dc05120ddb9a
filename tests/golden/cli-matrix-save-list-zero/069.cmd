ipvsadm -L -i
