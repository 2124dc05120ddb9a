ipvsadm -L -b sh-port
