ipvsadm -C -b flag-1
