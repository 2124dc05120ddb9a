ipvsadm -A --persistent-conn
