ipvsadm -A -f 11 -p -M 255.255.0.0 -6
