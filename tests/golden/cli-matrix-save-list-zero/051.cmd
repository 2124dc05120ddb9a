ipvsadm -S --sort
