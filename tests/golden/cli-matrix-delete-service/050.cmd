ipvsadm -D -c
