ipvsadm -R --mcast-group 224.0.0.82
