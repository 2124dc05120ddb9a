ipvsadm --start-daemon master --mcast-ttl 2
