ipvsadm -L -n -f 2 -6
