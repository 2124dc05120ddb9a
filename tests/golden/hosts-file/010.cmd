ipvsadm -A -t 10.0.0.8:80 -s rr
