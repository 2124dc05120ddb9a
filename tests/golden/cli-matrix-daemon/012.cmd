ipvsadm --start-daemon master -i
