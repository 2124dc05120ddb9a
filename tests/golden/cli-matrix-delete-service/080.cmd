ipvsadm -D --mcast-ttl 2
