ipvsadm -A -f 1
