ipvsadm -a -c
