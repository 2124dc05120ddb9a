ipvsadm -A -f 6 -6
