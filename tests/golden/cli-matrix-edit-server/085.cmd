ipvsadm -e --mcast-ttl 2
