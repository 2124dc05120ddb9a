ipvsadm --stop-daemon master -m
