ipvsadm -L -y 10
