ipvsadm --stop-daemon master --persistent-conn
