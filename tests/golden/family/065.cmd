ipvsadm -L -n -t 10.96.0.1:443
