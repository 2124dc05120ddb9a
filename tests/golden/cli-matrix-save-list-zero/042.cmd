ipvsadm -S --mcast-port 8849
