ipvsadm -D -t [fd00::1]:80
