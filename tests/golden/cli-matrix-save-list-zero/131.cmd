ipvsadm -Z --mcast-port 8849
