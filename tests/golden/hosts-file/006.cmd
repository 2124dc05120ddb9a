ipvsadm -A -t 10.0.0.5:443 -s rr
