ipvsadm -d -m
