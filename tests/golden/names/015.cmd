ipvsadm -A -f 5 -s rr
