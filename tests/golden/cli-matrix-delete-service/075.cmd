ipvsadm -D -o
