ipvsadm -A -t [::1]:80
