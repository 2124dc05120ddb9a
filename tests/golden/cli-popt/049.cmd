ipvsadm -L -q
