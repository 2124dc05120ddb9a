ipvsadm -e -g
