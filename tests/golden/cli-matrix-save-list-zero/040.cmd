ipvsadm -S -b flag-1
