ipvsadm -e -x 100
