ipvsadm -S --persistent-conn
