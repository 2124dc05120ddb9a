ipvsadm -L --timeout --nosort
