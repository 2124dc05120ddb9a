ipvsadm -a -t 10.0.0.2:0 -r 10.9 -m
