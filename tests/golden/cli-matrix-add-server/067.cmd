ipvsadm -a --daemon
