ipvsadm -R --mcast-ttl 2
