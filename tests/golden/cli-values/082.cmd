ipvsadm -A -f 1x
