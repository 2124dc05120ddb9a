ipvsadm -a
