ipvsadm --start-daemon
