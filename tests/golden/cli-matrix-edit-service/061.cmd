ipvsadm -E -g
