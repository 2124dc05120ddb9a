ipvsadm -D -M 255.255.255.0
