ipvsadm -a --mcast-ttl 2
