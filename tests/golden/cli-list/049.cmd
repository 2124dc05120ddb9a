ipvsadm -L --sync-maxlen 100
