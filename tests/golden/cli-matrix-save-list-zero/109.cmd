ipvsadm -Z -M 255.255.255.0
