ipvsadm -Lnn
