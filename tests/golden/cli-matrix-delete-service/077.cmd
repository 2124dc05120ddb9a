ipvsadm -D -b flag-1
