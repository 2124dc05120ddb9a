ipvsadm --stop-daemon master -r 10.0.1.1:80
