ipvsadm -Z -t 0.0.0.0:1
