ipvsadm -A -t 08.0.0.1:80
