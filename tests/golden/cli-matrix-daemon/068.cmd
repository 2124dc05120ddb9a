ipvsadm --stop-daemon master --syncid 1
