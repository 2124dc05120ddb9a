ipvsadm -a --mcast-interface nosuchif0
