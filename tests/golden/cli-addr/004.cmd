ipvsadm -A -t 10.0.258:80
