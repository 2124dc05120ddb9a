ipvsadm -A --mcast-group 224.0.0.82
