ipvsadm -l
