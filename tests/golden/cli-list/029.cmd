ipvsadm -L -n -f 5
