ipvsadm -a -t [fd00::1]:443 -r [fd00::1]:443 -g
