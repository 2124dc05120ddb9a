ipvsadm --stop-daemon master --timeout
