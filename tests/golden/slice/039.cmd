ipvsadm -D -t 10.96.0.99:443
