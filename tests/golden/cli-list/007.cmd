ipvsadm -L -c --rate
