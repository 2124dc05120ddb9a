ipvsadm -L --mcast-interface nosuchif0
