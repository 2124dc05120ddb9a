ipvsadm --stop-daemon master --syncid 7
