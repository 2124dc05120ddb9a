ipvsadm -C --mcast-ttl 2
