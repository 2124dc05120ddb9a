ipvsadm -A -t 10.0.0.3:0 -p 2678401
