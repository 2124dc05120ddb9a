ipvsadm -e --sort
