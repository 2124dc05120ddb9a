ipvsadm --stop-daemon master --sort
