ipvsadm --stop-daemon
