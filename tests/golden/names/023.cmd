ipvsadm -L --persistent-conn
