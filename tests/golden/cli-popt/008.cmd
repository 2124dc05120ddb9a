ipvsadm -SnL
