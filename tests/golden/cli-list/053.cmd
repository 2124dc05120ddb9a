ipvsadm -L -c -n
