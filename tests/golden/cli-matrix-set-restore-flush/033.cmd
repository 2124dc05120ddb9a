ipvsadm --set 900 120 300 --sync-maxlen 1400
