ipvsadm -Lc -n --nosort
