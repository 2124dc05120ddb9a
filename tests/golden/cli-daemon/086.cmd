ipvsadm --start-daemon backup --mcast-interface lo --mcast-group ff02::1
