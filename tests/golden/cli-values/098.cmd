ipvsadm -A -f 4 -6
