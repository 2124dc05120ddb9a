ipvsadm --start-daemon master --syncid 1
