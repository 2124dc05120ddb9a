ipvsadm -A -t 10.100.0.1:30080
