ipvsadm -D -6
