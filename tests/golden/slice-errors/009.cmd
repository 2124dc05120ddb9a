ipvsadm -A -t
