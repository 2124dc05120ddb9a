ipvsadm -Z --sync-maxlen 1400
