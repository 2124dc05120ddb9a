ipvsadm -a --sort
