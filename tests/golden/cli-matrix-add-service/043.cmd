ipvsadm -A -n
