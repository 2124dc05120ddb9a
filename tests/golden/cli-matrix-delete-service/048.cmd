ipvsadm -D -f 1 -6
