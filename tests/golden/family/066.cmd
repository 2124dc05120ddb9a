ipvsadm -L -n -t [fd00::1]:80
