ipvsadm -e -f 1
