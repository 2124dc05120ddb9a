ipvsadm -C --nosort
