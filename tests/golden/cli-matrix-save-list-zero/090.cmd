ipvsadm -L --sync-maxlen 1400
