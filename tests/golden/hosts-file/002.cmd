ipvsadm -A -t 10.0.0.1:80 -s rr
