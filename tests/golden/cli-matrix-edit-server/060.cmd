ipvsadm -e -s rr
