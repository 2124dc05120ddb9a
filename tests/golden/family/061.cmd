ipvsadm -A -u [fd00::1]:53 -s rr -o
