ipvsadm -R --sort
