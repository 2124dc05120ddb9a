ipvsadm -a -f 5 -r 10.244.1.5 -g
