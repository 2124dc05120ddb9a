ipvsadm -D -f 6 -6
