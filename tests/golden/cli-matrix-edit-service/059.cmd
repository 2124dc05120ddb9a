ipvsadm -E -m
