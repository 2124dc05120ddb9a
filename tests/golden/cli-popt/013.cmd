ipvsadm -A -D
