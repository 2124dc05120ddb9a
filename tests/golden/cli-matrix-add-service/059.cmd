ipvsadm -A --mcast-interface nosuchif0
