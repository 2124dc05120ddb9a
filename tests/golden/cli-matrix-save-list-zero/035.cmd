ipvsadm -S --nosort
