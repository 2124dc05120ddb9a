ipvsadm -L --nosort
