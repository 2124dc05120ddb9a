ipvsadm --start-daemon master -y 10
