ipvsadm -At=10.0.0.3:80
