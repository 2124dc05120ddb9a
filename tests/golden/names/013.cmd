ipvsadm -A -t [fd00::1]:443 -s rr
