ipvsadm -C -C
