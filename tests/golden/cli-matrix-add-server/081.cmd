ipvsadm -a --sync-maxlen 1400
