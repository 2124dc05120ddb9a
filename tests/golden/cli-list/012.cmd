ipvsadm -L --daemon --stats
