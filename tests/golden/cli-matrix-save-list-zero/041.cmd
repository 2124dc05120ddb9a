ipvsadm -S --mcast-group 224.0.0.82
