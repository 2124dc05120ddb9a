ipvsadm -A -f ''
