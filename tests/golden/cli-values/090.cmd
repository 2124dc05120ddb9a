ipvsadm -A -6 -f 5
