ipvsadm -R --sync-maxlen 1400
