ipvsadm -S --timeout
