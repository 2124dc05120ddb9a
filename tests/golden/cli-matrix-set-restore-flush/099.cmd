ipvsadm -C -s rr
