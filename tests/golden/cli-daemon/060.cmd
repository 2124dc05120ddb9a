ipvsadm --start-daemon master --mcast-port 0
