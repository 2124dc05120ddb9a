ipvsadm -C -g
