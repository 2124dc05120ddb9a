ipvsadm -A --nosort
