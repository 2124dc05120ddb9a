ipvsadm -A -t 10.1.2.4:22 -s rr
