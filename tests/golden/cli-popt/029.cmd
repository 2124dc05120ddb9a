ipvsadm -p -A -t 10.0.0.1:0
