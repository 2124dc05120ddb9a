ipvsadm --start-daemon master -s rr
