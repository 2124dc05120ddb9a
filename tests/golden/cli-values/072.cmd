ipvsadm -A -t [fd00::3]:80 -p -M 4294967360
