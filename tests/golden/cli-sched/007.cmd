ipvsadm -A -t 10.0.0.7:80 -s rr -b sh-port
