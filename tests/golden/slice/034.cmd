ipvsadm -D -t 10.96.0.10:9153
