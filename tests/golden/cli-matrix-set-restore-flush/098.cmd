ipvsadm -C -f 1
