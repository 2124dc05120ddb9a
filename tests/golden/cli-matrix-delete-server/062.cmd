ipvsadm -d -M 255.255.255.0
