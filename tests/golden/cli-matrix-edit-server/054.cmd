ipvsadm -e -n
