ipvsadm --stop-daemon master -n
