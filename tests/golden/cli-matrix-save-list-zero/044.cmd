ipvsadm -S --sync-maxlen 1400
