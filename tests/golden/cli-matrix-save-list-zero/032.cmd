ipvsadm -S --rate
