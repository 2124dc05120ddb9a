ipvsadm -A
