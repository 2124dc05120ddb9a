ipvsadm -a -n
