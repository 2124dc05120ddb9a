ipvsadm -Z -m
