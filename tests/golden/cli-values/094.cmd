ipvsadm -A -f 8 -p -M 64 -6
