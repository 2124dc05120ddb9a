ipvsadm -Z --daemon
