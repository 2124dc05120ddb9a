ipvsadm --start-daemon master --mcast-interface sync0
