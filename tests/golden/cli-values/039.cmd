ipvsadm -A -t 10.0.0.7:0 -p -s rr
