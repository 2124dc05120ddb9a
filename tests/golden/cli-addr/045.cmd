ipvsadm -L -t 1.2.3.4:http
