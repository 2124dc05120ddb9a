ipvsadm --stop-daemon master -i
