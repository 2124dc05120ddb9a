ipvsadm -L --mcast-ttl 2
