ipvsadm --stop-daemon master --mcast-ttl 2
