ipvsadm --stop-daemon master -w 2
