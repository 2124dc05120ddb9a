ipvsadm -L -b flag-1
