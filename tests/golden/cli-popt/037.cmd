ipvsadm - -L
