ipvsadm --stop-daemon master --syncid 300
