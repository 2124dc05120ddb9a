ipvsadm --start-daemon backup --mcast-interface sync0 --syncid 9 --mcast-group ff02::1:81 --mcast-port 8850 --mcast-ttl 3 --sync-maxlen 1400
