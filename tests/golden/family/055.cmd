ipvsadm -a -f 2 -6 -r [fd00::5]:80 -m
