ipvsadm -A -t 10.0.0.8:0 -s rr -p
