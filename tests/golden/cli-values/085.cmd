ipvsadm -A -f +3
