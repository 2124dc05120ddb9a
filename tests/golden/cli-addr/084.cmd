ipvsadm -L -t [::1]:80
