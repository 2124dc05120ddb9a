ipvsadm -L --rate
