ipvsadm -D -n
