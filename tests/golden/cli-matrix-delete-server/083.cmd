ipvsadm -d --mcast-group 224.0.0.82
