ipvsadm --start-daemon master --syncid x
