ipvsadm -L --daemon
