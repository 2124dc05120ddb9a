ipvsadm -A -t 10.1.2.3:80 -s rr
