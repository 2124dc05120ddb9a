ipvsadm --stop-daemon master -b flag-1
