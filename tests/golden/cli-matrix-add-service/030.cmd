ipvsadm -A -t 10.0.0.1:80 --mcast-group 224.0.0.82
