ipvsadm -D --sync-maxlen 1400
