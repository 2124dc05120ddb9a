ipvsadm -e -f 1 -6
