ipvsadm -A --mcast-port 8849
