ipvsadm -A -f 1 -o
