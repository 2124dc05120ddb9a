ipvsadm --start-daemon master -p 60
