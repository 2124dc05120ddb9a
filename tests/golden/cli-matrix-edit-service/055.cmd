ipvsadm -E -s rr
