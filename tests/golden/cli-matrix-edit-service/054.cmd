ipvsadm -E -f 1
