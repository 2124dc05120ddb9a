ipvsadm -A -f 0
