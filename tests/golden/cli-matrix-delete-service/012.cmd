ipvsadm -D -f 1
