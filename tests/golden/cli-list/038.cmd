ipvsadm -L -r 10.0.1.1
