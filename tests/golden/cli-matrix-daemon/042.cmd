ipvsadm --start-daemon master -f 1 -6
