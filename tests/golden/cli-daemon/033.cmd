ipvsadm -L --timeout --persistent-conn
