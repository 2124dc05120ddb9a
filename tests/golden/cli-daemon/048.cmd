ipvsadm --start-daemon master --syncid 256
