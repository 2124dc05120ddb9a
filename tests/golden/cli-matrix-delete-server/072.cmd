ipvsadm -d --daemon
