ipvsadm -e --daemon
