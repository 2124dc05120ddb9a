ipvsadm --stop-daemon master -y 10
