ipvsadm -Z --mcast-group 224.0.0.82
