ipvsadm --start-daemon master -x 100
