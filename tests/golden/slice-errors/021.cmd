ipvsadm -a -t 10.96.0.1:443 -r 10.244.1.5 -s rr
