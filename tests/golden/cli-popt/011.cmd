ipvsadm -l -L
