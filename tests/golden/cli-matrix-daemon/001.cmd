ipvsadm --start-daemon master -n
