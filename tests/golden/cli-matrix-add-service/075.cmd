ipvsadm -A --sync-maxlen 1400
