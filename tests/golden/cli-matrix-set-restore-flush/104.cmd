ipvsadm -C -i
