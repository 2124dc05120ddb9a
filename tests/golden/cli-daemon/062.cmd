ipvsadm --start-daemon master --mcast-port http
