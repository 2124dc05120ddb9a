ipvsadm -E -t 10.96.0.9:443 -s rr
