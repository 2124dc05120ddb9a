ipvsadm -C --sync-maxlen 1400
