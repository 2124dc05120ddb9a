ipvsadm -nL
