ipvsadm -a --mcast-port 8849
