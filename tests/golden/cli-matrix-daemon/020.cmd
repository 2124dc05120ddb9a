ipvsadm --start-daemon master --stats
