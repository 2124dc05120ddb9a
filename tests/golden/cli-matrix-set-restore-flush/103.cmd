ipvsadm -C -m
