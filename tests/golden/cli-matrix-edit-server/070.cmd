ipvsadm -e --mcast-interface nosuchif0
