ipvsadm -vL
