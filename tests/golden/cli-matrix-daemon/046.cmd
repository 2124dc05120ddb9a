ipvsadm --stop-daemon master -t 10.0.0.1:80
