ipvsadm -C --sort
