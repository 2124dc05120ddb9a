ipvsadm -d --sync-maxlen 1400
