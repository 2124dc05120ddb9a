ipvsadm -E --nosort
