ipvsadm -D --mcast-interface nosuchif0
