ipvsadm -a -t [fd00::1]:80 -r 10.244.1.5 -i
