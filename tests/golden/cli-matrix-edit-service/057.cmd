ipvsadm -E -M 255.255.255.0
