ipvsadm -S -f 1
