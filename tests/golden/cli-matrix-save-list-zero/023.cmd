ipvsadm -S -i
