ipvsadm -C -n
