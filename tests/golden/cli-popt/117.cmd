ipvsadm -L -t '!#:' 10.0.0.10:80
