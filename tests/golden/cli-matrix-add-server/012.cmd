ipvsadm -a -r 10.0.1.1:80 -f 1
