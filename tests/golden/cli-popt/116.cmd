ipvsadm -L -t '!#:+' -n 10.0.0.10:80
