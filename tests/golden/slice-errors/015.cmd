ipvsadm -a -r 10.244.1.5
