ipvsadm -a -s rr
