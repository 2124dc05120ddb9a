ipvsadm -S --mcast-interface nosuchif0
