ipvsadm -L -A
