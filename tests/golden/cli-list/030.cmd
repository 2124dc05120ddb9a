ipvsadm -L -n -f 6 -6
