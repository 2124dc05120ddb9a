ipvsadm -a -f 1
