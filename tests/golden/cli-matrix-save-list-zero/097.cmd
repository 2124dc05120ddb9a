ipvsadm -L --sort
