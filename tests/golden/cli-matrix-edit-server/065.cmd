ipvsadm -e -i
