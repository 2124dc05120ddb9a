ipvsadm -A -t [fd00::3]:80 -p -M 255.255.255.0
