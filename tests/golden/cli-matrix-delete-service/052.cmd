ipvsadm -D -u 10.0.0.1:53
