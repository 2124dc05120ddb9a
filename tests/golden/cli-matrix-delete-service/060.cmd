ipvsadm -D -i
