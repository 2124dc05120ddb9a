ipvsadm -At10.0.0.2:80
