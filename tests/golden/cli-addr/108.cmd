ipvsadm -a -f 7 -r 10.13:8080 -g
