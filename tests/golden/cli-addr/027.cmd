ipvsadm -A -t 80
