ipvsadm -a -t 10.0.0.2:0 -r 10.10:8080 -m
