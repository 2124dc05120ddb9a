ipvsadm -a -f 1 -6
