ipvsadm --start-daemon master -o
