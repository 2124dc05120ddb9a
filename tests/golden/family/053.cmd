ipvsadm -a -f 1 -r 10.244.1.5:80 -m
