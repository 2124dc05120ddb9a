ipvsadm --start-daemon master --mcast-port 65536
