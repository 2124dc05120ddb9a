ipvsadm --stop-daemon=backup
