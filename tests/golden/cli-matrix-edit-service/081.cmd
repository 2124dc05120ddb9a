ipvsadm -E --sync-maxlen 1400
