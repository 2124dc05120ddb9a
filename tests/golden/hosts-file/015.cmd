ipvsadm -A -u 10.0.0.10:53 -s rr
