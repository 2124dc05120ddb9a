ipvsadm -A -t []:86
