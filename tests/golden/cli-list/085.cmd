ipvsadm -D -f 6
