ipvsadm -E -n
