ipvsadm -a -f 4 -6 -r 10.0.0.12 -i
