ipvsadm -Z --persistent-conn
