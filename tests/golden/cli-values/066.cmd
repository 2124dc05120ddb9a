ipvsadm -A -t [fd00::2]:80 -p -M 128
