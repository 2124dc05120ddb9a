ipvsadm -E --mcast-ttl 2
