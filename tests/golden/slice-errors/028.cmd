ipvsadm -LA
