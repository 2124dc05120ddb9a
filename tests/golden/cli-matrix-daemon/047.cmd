ipvsadm --stop-daemon master -u 10.0.0.1:53
