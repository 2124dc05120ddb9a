ipvsadm --set 900 120 300 --persistent-conn
