ipvsadm --start-daemon master -6
