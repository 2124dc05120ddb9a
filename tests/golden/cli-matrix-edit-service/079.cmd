ipvsadm -E --mcast-port 8849
