ipvsadm -L -n -u 10.96.0.10:53 --rate
