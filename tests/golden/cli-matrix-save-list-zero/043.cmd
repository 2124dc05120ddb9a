ipvsadm -S --mcast-ttl 2
