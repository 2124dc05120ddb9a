ipvsadm -a --rate
