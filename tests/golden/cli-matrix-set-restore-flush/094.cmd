ipvsadm -C -c
