ipvsadm --stop-daemon master -6
