ipvsadm -e -b flag-1
