ipvsadm -L -n -f 7
