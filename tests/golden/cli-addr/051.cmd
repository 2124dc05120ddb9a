ipvsadm -A -t localhost:80
