ipvsadm -A -t [fd00::8]:80 -s rr
