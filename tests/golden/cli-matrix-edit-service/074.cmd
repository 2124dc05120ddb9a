ipvsadm -E -X
