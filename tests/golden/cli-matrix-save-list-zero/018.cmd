ipvsadm -S -s rr
