ipvsadm -a -M 255.255.255.0
