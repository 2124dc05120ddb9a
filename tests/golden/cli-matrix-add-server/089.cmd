ipvsadm -a -6
