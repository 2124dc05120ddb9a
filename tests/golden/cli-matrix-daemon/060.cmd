ipvsadm --stop-daemon master --mcast-interface nosuchif0
