ipvsadm --start-daemon master --sync-maxlen 65508
