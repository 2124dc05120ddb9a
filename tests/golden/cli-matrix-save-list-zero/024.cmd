ipvsadm -S -g
