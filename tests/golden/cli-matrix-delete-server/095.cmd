ipvsadm -d -f 1 -6
