ipvsadm -A -u 10.0.0.4:53 -o -o
