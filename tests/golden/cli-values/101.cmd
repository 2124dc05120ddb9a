ipvsadm -a -f 4 -6 -r [fd00::10]:80 -m
