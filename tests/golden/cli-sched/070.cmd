ipvsadm -a -u 10.0.0.1:53 -r 10.0.1.1 -o
