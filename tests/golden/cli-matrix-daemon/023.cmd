ipvsadm --start-daemon master --persistent-conn
