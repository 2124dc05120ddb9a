ipvsadm -e --persistent-conn
