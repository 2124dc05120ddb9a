ipvsadm -S -o
