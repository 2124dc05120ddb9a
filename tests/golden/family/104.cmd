ipvsadm --start-daemon master --mcast-interface sync0 --mcast-group 239.1.2.3 --mcast-port 9000
