ipvsadm -a -t [fd00::8]:80 -r [fd00::9]:80 -m
