ipvsadm --start-daemon master --syncid ''
