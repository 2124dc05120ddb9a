ipvsadm -C -y 10
