ipvsadm -A -f 7
