ipvsadm -L -M 255.255.255.0
