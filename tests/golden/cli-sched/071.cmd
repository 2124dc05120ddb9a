ipvsadm -L -o
