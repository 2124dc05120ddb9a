ipvsadm -S --daemon
