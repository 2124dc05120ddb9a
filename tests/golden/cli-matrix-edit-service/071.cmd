ipvsadm -E --persistent-conn
