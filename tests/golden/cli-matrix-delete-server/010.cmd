ipvsadm -a -f 1 -r 10.0.1.1:80 -m
