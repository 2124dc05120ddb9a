ipvsadm -D -m
