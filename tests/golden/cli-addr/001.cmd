ipvsadm -A -t 10.1:80
