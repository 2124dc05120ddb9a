ipvsadm -L --daemon --persistent-conn
