ipvsadm -L -n -f 6
