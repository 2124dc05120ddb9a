ipvsadm -C --mcast-port 8849
