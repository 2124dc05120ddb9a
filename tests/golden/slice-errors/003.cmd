ipvsadm -A -t 300.1.1.1:80
