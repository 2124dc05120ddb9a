ipvsadm -C -w 2
