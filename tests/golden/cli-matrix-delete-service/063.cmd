ipvsadm -D -x 100
