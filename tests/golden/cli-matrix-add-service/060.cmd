ipvsadm -A --timeout
