ipvsadm -C -M 255.255.255.0
