ipvsadm -L -n -t [::1]:80
