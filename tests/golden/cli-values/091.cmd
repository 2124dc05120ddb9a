ipvsadm -A -f 6 -6 -6
