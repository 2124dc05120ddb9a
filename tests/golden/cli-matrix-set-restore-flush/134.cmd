ipvsadm -C -f 1 -6
