ipvsadm -D --sort
