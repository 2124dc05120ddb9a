ipvsadm -E -i
