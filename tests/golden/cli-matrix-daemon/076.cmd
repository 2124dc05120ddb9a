ipvsadm --stop-daemon master --sync-maxlen 1400
