ipvsadm -d --nosort
