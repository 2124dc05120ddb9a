ipvsadm -Ln --sort
