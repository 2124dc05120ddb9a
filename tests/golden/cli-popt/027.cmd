ipvsadm -n -L
