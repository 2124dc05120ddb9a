ipvsadm -a --persistent-conn
