ipvsadm -Z --timeout
