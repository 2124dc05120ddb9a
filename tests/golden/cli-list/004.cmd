ipvsadm -A -f 5
