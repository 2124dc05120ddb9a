ipvsadm -a -m
