ipvsadm -L -c --timeout
