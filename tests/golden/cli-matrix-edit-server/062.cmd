ipvsadm -e -M 255.255.255.0
