ipvsadm --start-daemon master -M 255.255.255.0
