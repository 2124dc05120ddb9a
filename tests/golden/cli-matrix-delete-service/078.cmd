ipvsadm -D --mcast-group 224.0.0.82
