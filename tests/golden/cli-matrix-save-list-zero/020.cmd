ipvsadm -S -M 255.255.255.0
