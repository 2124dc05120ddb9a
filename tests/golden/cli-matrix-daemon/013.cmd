ipvsadm --start-daemon master -g
