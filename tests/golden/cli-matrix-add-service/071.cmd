ipvsadm -A -b flag-1
