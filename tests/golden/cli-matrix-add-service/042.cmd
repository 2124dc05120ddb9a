ipvsadm -A -f 1 -6
