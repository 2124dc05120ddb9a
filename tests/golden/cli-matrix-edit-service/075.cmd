ipvsadm -E -o
