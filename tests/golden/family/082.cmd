ipvsadm -Z -t 10.96.0.1:443
