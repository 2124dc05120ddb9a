ipvsadm -d -o
