ipvsadm -d -6
