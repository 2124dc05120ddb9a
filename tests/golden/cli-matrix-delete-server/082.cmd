ipvsadm -d -b flag-1
