ipvsadm -A --sort
