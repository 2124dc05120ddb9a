ipvsadm -E --mcast-interface nosuchif0
