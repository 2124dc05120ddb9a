ipvsadm --stop-daemon master --mcast-port 8849
