ipvsadm -a -b flag-1
