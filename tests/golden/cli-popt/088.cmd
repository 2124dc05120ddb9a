ipvsadm -E
