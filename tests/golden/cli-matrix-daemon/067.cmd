ipvsadm --stop-daemon master --nosort
