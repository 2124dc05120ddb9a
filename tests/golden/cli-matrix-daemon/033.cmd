ipvsadm --start-daemon master --sync-maxlen 1400
