ipvsadm -A -f 12 -t 10.0.0.1:80
