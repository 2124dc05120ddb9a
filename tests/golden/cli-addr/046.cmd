ipvsadm -L -u 1.2.3.4:domain
