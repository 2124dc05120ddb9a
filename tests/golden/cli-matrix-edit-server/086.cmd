ipvsadm -e --sync-maxlen 1400
