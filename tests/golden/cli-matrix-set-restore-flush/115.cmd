ipvsadm -C --persistent-conn
