ipvsadm --set 900 120 300 --mcast-ttl 2
