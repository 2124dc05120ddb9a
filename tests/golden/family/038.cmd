ipvsadm -A -t 10.20.0.1:80 -s rr
