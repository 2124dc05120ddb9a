ipvsadm -A -u 10.96.0.10:53 -s rr
