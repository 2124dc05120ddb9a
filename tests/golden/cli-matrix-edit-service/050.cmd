ipvsadm -E -c
