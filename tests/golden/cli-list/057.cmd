ipvsadm -L -n --rate
