ipvsadm -e -w 2
