ipvsadm -L --mcast-port 1
