ipvsadm -L --timeout --rate
