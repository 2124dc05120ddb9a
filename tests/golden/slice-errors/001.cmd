ipvsadm -A -t 10.96.0.1
