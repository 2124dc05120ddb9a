ipvsadm --start-daemon master --sync-maxlen 0
