ipvsadm -d --persistent-conn
