ipvsadm -E --mcast-group 224.0.0.82
