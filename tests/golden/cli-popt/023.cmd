ipvsadm -h -L
