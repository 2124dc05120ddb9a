ipvsadm --start-daemon master --sort
