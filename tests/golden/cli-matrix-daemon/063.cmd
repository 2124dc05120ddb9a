ipvsadm --stop-daemon master --stats
