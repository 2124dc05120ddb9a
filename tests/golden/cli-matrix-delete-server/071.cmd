ipvsadm -d --timeout
