ipvsadm -L --start-daemon master
