ipvsadm -d --mcast-ttl 2
