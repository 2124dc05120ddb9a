ipvsadm -D --daemon
