ipvsadm -A -t [fd00::1]:80 -s rr -p 100 -M 64
