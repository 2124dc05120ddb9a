ipvsadm -D -s rr
