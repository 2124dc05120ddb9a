ipvsadm -E -f 1 -6
