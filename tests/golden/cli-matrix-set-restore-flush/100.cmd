ipvsadm -C -p 60
