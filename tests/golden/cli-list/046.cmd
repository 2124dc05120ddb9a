ipvsadm -L --mcast-group 224.0.0.1
