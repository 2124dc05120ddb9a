ipvsadm -L -c --daemon
