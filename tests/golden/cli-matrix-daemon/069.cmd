ipvsadm --stop-daemon master -X
