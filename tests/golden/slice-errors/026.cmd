ipvsadm -C now
