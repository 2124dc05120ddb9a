ipvsadm -a -o
