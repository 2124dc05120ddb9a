ipvsadm -D -u 10.96.0.10:53
