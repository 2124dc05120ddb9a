ipvsadm -A -u 10.0.0.5:0 -o -p
