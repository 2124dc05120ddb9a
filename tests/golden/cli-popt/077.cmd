ipvsadm -Ln --sort --sort
