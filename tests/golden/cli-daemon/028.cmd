ipvsadm -L --timeout --daemon
