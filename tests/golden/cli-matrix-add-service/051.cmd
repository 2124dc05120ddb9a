ipvsadm -A -M 255.255.255.0
