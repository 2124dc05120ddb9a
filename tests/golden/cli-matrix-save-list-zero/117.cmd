ipvsadm -Z --mcast-interface nosuchif0
