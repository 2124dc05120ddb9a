ipvsadm -A -t [fd00::1]:80 -p -M 64
