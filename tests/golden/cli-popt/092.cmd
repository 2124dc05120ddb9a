ipvsadm -d
