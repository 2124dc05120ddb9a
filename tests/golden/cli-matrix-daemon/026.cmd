ipvsadm --start-daemon master -X
