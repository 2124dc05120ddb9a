ipvsadm -L --mcast-port 8849
