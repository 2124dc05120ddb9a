ipvsadm --start-daemon master -m
