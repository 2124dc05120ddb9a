ipvsadm -S -c
