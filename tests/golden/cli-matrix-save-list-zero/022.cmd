ipvsadm -S -m
