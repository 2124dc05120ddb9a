ipvsadm -A -t 10.96.0.1:443 -s rr
