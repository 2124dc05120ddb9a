ipvsadm -e -X
