ipvsadm -L -u 10.96.0.10:domain
