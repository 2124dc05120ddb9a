ipvsadm -a -r 10.8 -t 10.0.0.1:80 -m
