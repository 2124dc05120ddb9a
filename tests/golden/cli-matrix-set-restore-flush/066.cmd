ipvsadm -R --persistent-conn
