ipvsadm --stop-daemon master --daemon
