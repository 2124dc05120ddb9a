ipvsadm -S -6
