ipvsadm -L -y 1
