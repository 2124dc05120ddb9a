ipvsadm -Z --mcast-ttl 2
