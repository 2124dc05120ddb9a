ipvsadm -a --nosort
