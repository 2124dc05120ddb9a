ipvsadm -d -s rr
