ipvsadm -L -t [::1]:81
