ipvsadm -a -f 4 -r [fd00::11]:80 -m
