ipvsadm -A -6
