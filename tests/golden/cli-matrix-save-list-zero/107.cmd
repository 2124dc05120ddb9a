ipvsadm -Z -s rr
