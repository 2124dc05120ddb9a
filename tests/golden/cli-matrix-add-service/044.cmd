ipvsadm -A -c
