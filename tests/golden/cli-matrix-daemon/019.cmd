ipvsadm --start-daemon master --daemon
