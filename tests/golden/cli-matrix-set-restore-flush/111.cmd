ipvsadm -C --daemon
