ipvsadm -A -t 10.0.0.6:80 -s rr -- -p
