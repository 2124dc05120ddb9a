ipvsadm -A -f 9 -6 -M 255.255.255.0 -p
