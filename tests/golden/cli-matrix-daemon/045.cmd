ipvsadm --stop-daemon master -c
