ipvsadm --start-daemon master --timeout
