ipvsadm -a -t 10.0.0.1:80 -r10.0.1.2 -mw=6
