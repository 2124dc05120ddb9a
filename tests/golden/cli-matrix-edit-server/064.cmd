ipvsadm -e -m
