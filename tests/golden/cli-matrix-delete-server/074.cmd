ipvsadm -d --rate
