ipvsadm -E -t 10.96.0.1:443 -s rr -b flag-1,flag-3
