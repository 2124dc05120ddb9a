ipvsadm -A -t 1..2:80
