ipvsadm --start-daemon master --mcast-port 8849
