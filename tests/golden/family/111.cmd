ipvsadm -D -f 2 -6
