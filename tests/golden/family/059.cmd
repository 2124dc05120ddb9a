ipvsadm -a -t [fd00::1]:80 -r [fd00::6] -g -w 5
