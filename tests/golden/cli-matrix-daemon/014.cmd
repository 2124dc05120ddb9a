ipvsadm --start-daemon master -w 2
