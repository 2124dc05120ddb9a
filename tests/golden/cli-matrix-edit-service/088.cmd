ipvsadm -E --sort
