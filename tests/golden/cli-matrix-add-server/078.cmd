ipvsadm -a --mcast-group 224.0.0.82
