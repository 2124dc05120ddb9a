ipvsadm --start-daemon master -c
