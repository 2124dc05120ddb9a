ipvsadm -e -6
