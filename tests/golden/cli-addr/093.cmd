ipvsadm -a -t 10.0.0.1:80 -r pod-b -m
