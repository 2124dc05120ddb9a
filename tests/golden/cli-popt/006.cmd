ipvsadm -nS
