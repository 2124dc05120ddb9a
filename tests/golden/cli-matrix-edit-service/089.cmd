ipvsadm -E -6
