ipvsadm -e --mcast-port 8849
