ipvsadm -L -m
