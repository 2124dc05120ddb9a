ipvsadm -A -t node1:http -s rr
