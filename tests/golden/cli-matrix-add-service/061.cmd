ipvsadm -A --daemon
