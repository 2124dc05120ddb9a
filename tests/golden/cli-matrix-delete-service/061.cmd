ipvsadm -D -g
