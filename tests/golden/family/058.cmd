ipvsadm -a -t [fd00::1]:80 -r [fd00::5]:8080 -m
