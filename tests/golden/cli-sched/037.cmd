ipvsadm -A -t 10.0.0.2:80 -s lblcr
