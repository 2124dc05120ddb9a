ipvsadm -a -f 1 -6 -r 10.0.1.1:80 -i
