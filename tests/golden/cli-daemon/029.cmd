ipvsadm -L --daemon --timeout
