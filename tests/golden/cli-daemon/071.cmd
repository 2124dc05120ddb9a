ipvsadm --start-daemon master --stop-daemon backup
