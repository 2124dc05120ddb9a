ipvsadm -L -n -f 1
