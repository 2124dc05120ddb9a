ipvsadm -R --daemon
