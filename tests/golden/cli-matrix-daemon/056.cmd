ipvsadm --stop-daemon master -g
