ipvsadm -L -n --tun-info -t 10.0.0.1:80
