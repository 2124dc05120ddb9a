ipvsadm -e -c
