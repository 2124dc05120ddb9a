ipvsadm -C --mcast-interface nosuchif0
