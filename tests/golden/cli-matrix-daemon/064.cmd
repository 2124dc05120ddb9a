ipvsadm --stop-daemon master --rate
