ipvsadm -A -s
