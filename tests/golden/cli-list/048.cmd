ipvsadm -L --mcast-ttl 1
