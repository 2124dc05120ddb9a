ipvsadm --stop-daemon master -f 1 -6
