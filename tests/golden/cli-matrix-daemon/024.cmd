ipvsadm --start-daemon master --nosort
