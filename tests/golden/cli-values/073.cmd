ipvsadm -A -M 96 -t [fd00::4]:80 -p
