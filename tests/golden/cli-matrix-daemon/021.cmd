ipvsadm --start-daemon master --rate
