ipvsadm -v
