ipvsadm --stop-daemon backup
