ipvsadm -L -p 60
