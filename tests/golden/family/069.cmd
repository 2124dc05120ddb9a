ipvsadm -L -n -f 2
