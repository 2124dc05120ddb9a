ipvsadm -S -n
