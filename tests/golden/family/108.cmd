ipvsadm --stop-daemon master
