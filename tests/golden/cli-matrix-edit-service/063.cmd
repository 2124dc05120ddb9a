ipvsadm -E -x 100
