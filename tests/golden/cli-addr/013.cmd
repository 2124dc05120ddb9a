ipvsadm -A -t 10.0.0.256:80
