ipvsadm -A -t -s rr
