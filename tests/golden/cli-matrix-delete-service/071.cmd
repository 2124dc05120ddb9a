ipvsadm -D --persistent-conn
