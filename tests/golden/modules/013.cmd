ipvsadm -L
