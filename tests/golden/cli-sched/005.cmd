ipvsadm -A -t 10.0.0.5:80 -s rr -b flag-1,flag-2,flag-3
