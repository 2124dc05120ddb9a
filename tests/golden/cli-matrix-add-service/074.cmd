ipvsadm -A --mcast-ttl 2
