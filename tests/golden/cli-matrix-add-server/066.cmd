ipvsadm -a --timeout
