ipvsadm -A -t 10.0.65536:80
