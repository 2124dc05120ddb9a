ipvsadm -A -i
