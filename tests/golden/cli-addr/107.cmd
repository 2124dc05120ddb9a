ipvsadm -a -f 7 -r 10.12 -m
