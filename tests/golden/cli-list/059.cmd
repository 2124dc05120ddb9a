ipvsadm -L -n --persistent-conn
