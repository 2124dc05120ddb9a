ipvsadm -A -t 10.1.2.4:65000 -s rr
