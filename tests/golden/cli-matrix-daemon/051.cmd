ipvsadm --stop-daemon master -p 60
