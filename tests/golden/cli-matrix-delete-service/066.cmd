ipvsadm -D --timeout
