ipvsadm --stop-daemon master -o
