ipvsadm -A -t 010.0.0.1:80
