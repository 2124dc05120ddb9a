ipvsadm --start-daemon master -b flag-1
