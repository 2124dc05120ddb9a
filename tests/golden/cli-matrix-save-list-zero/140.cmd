ipvsadm -Z --sort
