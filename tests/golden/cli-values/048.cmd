ipvsadm -A -t 10.0.0.10:0 -p 1
