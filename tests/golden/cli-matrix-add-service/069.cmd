ipvsadm -A -o
