ipvsadm -A -s -t 10.0.0.7:80
