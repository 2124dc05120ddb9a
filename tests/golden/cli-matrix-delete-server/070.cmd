ipvsadm -d --mcast-interface nosuchif0
