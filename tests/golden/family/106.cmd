ipvsadm --start-daemon master
