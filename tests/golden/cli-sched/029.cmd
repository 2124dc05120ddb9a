ipvsadm -E -t 10.0.0.2:80 -s rr -b flag-2
