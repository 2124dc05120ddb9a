ipvsadm -E -b flag-1
