ipvsadm -A -p 8 -t 10.0.0.9:0
