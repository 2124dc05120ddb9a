ipvsadm -E --daemon
