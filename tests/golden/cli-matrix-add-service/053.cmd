ipvsadm -A -m
