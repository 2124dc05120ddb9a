ipvsadm -S -f 1 -6
