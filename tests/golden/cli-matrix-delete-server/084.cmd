ipvsadm -d --mcast-port 8849
