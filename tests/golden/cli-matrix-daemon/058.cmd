ipvsadm --stop-daemon master -x 100
