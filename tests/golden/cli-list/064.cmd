ipvsadm -S -n --nosort
