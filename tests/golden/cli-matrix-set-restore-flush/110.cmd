ipvsadm -C --timeout
