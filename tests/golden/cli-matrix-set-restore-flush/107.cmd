ipvsadm -C -x 100
