ipvsadm -C -6
