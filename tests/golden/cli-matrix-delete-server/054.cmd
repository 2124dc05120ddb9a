ipvsadm -d -n
