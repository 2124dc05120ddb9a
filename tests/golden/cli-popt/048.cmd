ipvsadm -L -N
