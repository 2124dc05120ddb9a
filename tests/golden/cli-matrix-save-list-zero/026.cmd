ipvsadm -S -x 100
