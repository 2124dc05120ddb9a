ipvsadm -C -X
