ipvsadm --start-daemon master --mcast-interface nosuchif0
