ipvsadm -A -t [::1]:http
