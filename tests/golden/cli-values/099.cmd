ipvsadm -A -f 12 -f 13
