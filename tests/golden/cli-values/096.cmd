ipvsadm -A -f 10 -M 255.255.255.0 -p
