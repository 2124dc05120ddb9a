ipvsadm -d --sort
