ipvsadm -A -M 255.255.255.0 -t [fd00::5]:80 -p
