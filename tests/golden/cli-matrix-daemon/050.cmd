ipvsadm --stop-daemon master -s rr
