ipvsadm -L -s rr
