ipvsadm -a -t 10.0.0.1:80 -r 10.5:8081 -i
