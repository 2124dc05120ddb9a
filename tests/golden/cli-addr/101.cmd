ipvsadm -a -t 10.0.0.1:80 -r 10.6:8082 -g
