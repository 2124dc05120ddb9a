ipvsadm -L -n -t 10.96.0.9:1
