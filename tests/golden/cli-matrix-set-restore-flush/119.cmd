ipvsadm -C -o
