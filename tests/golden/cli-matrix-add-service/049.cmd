ipvsadm -A -s rr
