ipvsadm -e -o
