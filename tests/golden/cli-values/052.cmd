ipvsadm -E -t 10.0.0.1:0 -s rr
