ipvsadm --start-daemon master --mcast-interface sync0 --syncid 7
