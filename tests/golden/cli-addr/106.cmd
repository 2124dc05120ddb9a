ipvsadm -a -f 7 -r 10.11:http -m
