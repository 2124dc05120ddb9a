ipvsadm -A -g
