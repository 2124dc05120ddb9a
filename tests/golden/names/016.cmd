ipvsadm -a -f 5 -r 10.1.2.4:80 -m
